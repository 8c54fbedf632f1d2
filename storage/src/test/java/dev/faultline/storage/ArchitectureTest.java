package dev.faultline.storage;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * Storage: the schema and its repositories over {@code jdbc}, the writers, and the consumer that
 * feeds the writers from Kafka. The consumer is the only way in from Kafka and nothing below it
 * knows it; the stream engine is not storage's business.
 */
class ArchitectureTest {

  private static final JavaClasses STORAGE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.faultline.storage");

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.faultline.storage.(*)..").should().beFreeOfCycles().check(STORAGE);
  }

  @Test
  void knowsNoModuleButTheContract() {
    noClasses()
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.faultline..")
                .and(
                    resideOutsideOfPackages("dev.faultline.storage..", "dev.faultline.contract..")))
        .check(STORAGE);
  }

  @Test
  void neverImportsFlinkOrTheUi() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "com.vaadin..", "org.springframework..")
        .check(STORAGE);
  }

  @Test
  void onlyTheConsumerReadsKafka() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.faultline.storage.consumer..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.apache.kafka..")
        .check(STORAGE);
  }

  @Test
  void nothingInStorageDependsOnTheConsumer() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.faultline.storage.consumer..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.faultline.storage.consumer..")
        .check(STORAGE);
  }

  /** {@code jdbc} is the bottom layer: the repositories and writers use it, it uses none. */
  @Test
  void jdbcHelpersDependOnNoOtherStoragePackage() {
    noClasses()
        .that()
        .resideInAPackage("dev.faultline.storage.jdbc..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.faultline.storage..")
                .and(resideOutsideOfPackages("dev.faultline.storage.jdbc..")))
        .check(STORAGE);
  }
}
