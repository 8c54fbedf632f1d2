package dev.faultline.embedded;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Embedded infrastructure (Kafka, PostgreSQL) for the demo and the tests: it runs servers and knows
 * none of the platform's services, only the contract's topics.
 */
class ArchitectureTest {

  private static final JavaClasses EMBEDDED =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.faultline.embedded");

  @Test
  void knowsNoModuleButTheContract() {
    noClasses()
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.faultline..")
                .and(
                    resideOutsideOfPackages(
                        "dev.faultline.embedded..", "dev.faultline.contract..")))
        .check(EMBEDDED);
  }

  @Test
  void knowsNoStreamEngineOrUi() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "com.vaadin..", "org.springframework..")
        .check(EMBEDDED);
  }

  @Test
  void packagesHaveNoCycles() {
    slices()
        .matching("dev.faultline.embedded.(*)..")
        .should()
        .beFreeOfCycles()
        // one package today: the rule bites from the first sub-package on
        .allowEmptyShould(true)
        .check(EMBEDDED);
  }
}
