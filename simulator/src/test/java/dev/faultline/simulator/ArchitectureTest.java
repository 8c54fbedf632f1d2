package dev.faultline.simulator;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Scenarios generate telemetry as a pure function of the scenario and its seed; only the live mode
 * ({@link LiveSimulator}) sends it anywhere.
 */
class ArchitectureTest {

  private static final JavaClasses SIMULATOR =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.faultline.simulator");

  @Test
  void knowsNoModuleButTheContract() {
    noClasses()
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.faultline..")
                .and(
                    resideOutsideOfPackages(
                        "dev.faultline.simulator..", "dev.faultline.contract..")))
        .check(SIMULATOR);
  }

  @Test
  void onlyTheLiveModeTouchesKafka() {
    noClasses()
        .that()
        .haveNameNotMatching("dev\\.faultline\\.simulator\\.LiveSimulator(\\$.*)?")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.kafka..")
        .check(SIMULATOR);
  }

  /** The simulator owns no table and reads none: no JDBC, no stream engine, no UI. */
  @Test
  void touchesNoDatabaseFlinkOrUi() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "org.apache.flink..", "com.vaadin..")
        .check(SIMULATOR);
  }

  @Test
  void packagesHaveNoCycles() {
    slices()
        .matching("dev.faultline.simulator.(*)..")
        .should()
        .beFreeOfCycles()
        // one package today: the rule bites from the first sub-package on
        .allowEmptyShould(true)
        .check(SIMULATOR);
  }
}
