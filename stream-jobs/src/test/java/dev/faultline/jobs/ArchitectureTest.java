package dev.faultline.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The job's packages are its stages: each knows only the shared core, none knows another stage or
 * the wiring above it, and the job knows no other module's code but the contract's.
 */
class ArchitectureTest {

  private static final JavaClasses JOBS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.faultline.jobs");

  private static final String[] STAGES = {
    "dev.faultline.jobs.input..",
    "dev.faultline.jobs.health..",
    "dev.faultline.jobs.gpu..",
    "dev.faultline.jobs.correlation..",
    "dev.faultline.jobs.io.."
  };

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.faultline.jobs.(*)..").should().beFreeOfCycles().check(JOBS);
  }

  @Test
  void theCoreKnowsNoStage() {
    noClasses()
        .that()
        .resideInAPackage("dev.faultline.jobs.core..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(STAGES)
        .check(JOBS);
  }

  @Test
  void noStageKnowsAnotherOrTheWiring() {
    for (String stage : STAGES) {
      String[] others =
          java.util.stream.Stream.of(STAGES).filter(s -> !s.equals(stage)).toArray(String[]::new);
      noClasses()
          .that()
          .resideInAPackage(stage)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(others)
          .orShould()
          .dependOnClassesThat()
          .resideInAPackage("dev.faultline.jobs")
          .check(JOBS);
    }
  }

  @Test
  void knowsNoModuleButTheContract() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.faultline.storage..",
            "dev.faultline.notifier..",
            "dev.faultline.ingest..",
            "dev.faultline.ui..",
            "dev.faultline.simulator..",
            "dev.faultline.evaluation..")
        .check(JOBS);
  }
}
