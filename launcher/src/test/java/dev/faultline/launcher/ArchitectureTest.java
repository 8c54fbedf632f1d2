package dev.faultline.launcher;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The launcher wires the services through their entry points ({@code WebUi}, {@code
 * NotifierService}, {@code IngestService}, storage, the jobs); it holds no SQL and no view. The
 * table ownership of every module is checked beside it ({@link TableOwnershipTest}).
 */
class ArchitectureTest {

  private static final JavaClasses LAUNCHER =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.faultline.launcher");

  @Test
  void holdsNoSql() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "dev.faultline.storage.jdbc..")
        .check(LAUNCHER);
  }

  /** The UI starts as a whole ({@code dev.faultline.ui.WebUi}); its views are its own business. */
  @Test
  void startsTheUiWithoutReachingIntoIt() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.vaadin..", "dev.faultline.ui.*..")
        .check(LAUNCHER);
  }

  @Test
  void packagesHaveNoCycles() {
    slices()
        .matching("dev.faultline.launcher.(*)..")
        .should()
        .beFreeOfCycles()
        // one package today: the rule bites from the first sub-package on
        .allowEmptyShould(true)
        .check(LAUNCHER);
  }
}
