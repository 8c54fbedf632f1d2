package dev.faultline.evaluation;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Scoring is a pure function of labels and incidents: contract records in, a report out. */
class ArchitectureTest {

  private static final JavaClasses EVALUATION =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.faultline.evaluation");

  @Test
  void knowsNoModuleButTheContract() {
    noClasses()
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.faultline..")
                .and(
                    resideOutsideOfPackages(
                        "dev.faultline.evaluation..", "dev.faultline.contract..")))
        .check(EVALUATION);
  }

  /** It reads files the replay wrote: no broker, stream engine, database or UI. */
  @Test
  void touchesNoKafkaFlinkDatabaseOrUi() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..",
            "org.apache.flink..",
            "java.sql..",
            "javax.sql..",
            "com.vaadin..",
            "org.springframework..")
        .check(EVALUATION);
  }

  @Test
  void packagesHaveNoCycles() {
    slices()
        .matching("dev.faultline.evaluation.(*)..")
        .should()
        .beFreeOfCycles()
        // one package today: the rule bites from the first sub-package on
        .allowEmptyShould(true)
        .check(EVALUATION);
  }
}
