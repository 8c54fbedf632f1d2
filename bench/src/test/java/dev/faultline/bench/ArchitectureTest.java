package dev.faultline.bench;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The benchmarks measure the modules through their own classes; only the storage one uses SQL. */
class ArchitectureTest {

  private static final JavaClasses BENCH =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.faultline.bench");

  /** Filling storage's table in bulk is the storage benchmark's alone (see TableOwnershipTest). */
  @Test
  void onlyTheStorageBenchmarkUsesJdbc() {
    noClasses()
        .that()
        .haveNameNotMatching("dev\\.faultline\\.bench\\.StorageBench(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "dev.faultline.storage.jdbc..")
        .check(BENCH);
  }

  @Test
  void neverImportsTheUi() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("com.vaadin..", "dev.faultline.ui..")
        .check(BENCH);
  }

  @Test
  void packagesHaveNoCycles() {
    slices()
        .matching("dev.faultline.bench.(*)..")
        .should()
        .beFreeOfCycles()
        // one package today: the rule bites from the first sub-package on
        .allowEmptyShould(true)
        .check(BENCH);
  }
}
