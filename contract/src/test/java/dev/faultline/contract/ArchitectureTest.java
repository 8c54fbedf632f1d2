package dev.faultline.contract;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The contract stands alone: every module depends on it, and it on none of them. */
class ArchitectureTest {

  private static final JavaClasses CONTRACT =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.faultline.contract");

  @Test
  void dependsOnNoOtherFaultlineModule() {
    noClasses()
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.faultline..")
                .and(resideOutsideOfPackage("dev.faultline.contract..")))
        .check(CONTRACT);
  }

  /** Records, codecs and topic descriptors: no stream engine, database, web framework or UI. */
  @Test
  void knowsNoEngineDatabaseOrUi() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.flink..",
            "java.sql..",
            "javax.sql..",
            "com.vaadin..",
            "org.springframework..")
        .check(CONTRACT);
  }

  @Test
  void packagesHaveNoCycles() {
    slices()
        .matching("dev.faultline.contract.(*)..")
        .should()
        .beFreeOfCycles()
        // one package today: the rule bites from the first sub-package on
        .allowEmptyShould(true)
        .check(CONTRACT);
  }
}
