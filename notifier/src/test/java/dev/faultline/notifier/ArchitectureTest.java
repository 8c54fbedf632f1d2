package dev.faultline.notifier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The stages stay apart: receivers know nothing of Kafka or the outbox; only retry waits. */
class ArchitectureTest {

  private final JavaClasses classes =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.faultline.notifier");

  @Test
  void receiversKnowNothingOfKafkaTheOutboxOrRouting() {
    noClasses()
        .that()
        .resideInAPackage("..notifier.notify..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.kafka..", "..notifier.outbox..", "..notifier.dispatch..", "java.sql..")
        .check(classes);
  }

  @Test
  void onlyTheRetryStageAndIntakeWaitOnTheSleeper() {
    noClasses()
        .that()
        .resideInAnyPackage("..notifier.notify..", "..notifier.outbox..", "..notifier.deliver..")
        .should()
        .dependOnClassesThat()
        .haveFullyQualifiedName("dev.faultline.contract.Sleeper")
        .check(classes);
  }

  @Test
  void stagePackagesHaveNoCycles() {
    slices().matching("dev.faultline.notifier.(*)..").should().beFreeOfCycles().check(classes);
  }

  /** Incidents come in through one consumer, the dispatch stage's intake. */
  @Test
  void onlyTheIntakeReadsKafka() {
    noClasses()
        .that()
        .resideOutsideOfPackage("..notifier.dispatch..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.kafka..")
        .check(classes);
  }

  @Test
  void neverImportsFlinkOrTheUi() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "com.vaadin..", "dev.faultline.ui..")
        .check(classes);
  }
}
