package dev.faultline.ingest;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackages;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * The collectors (one package each) publish through {@code publish} and serve through {@code http};
 * the root package wires them ({@link IngestService}) and its configuration.
 */
class ArchitectureTest {

  private static final JavaClasses INGEST =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.faultline.ingest");

  private static final String[] COLLECTORS = {
    "dev.faultline.ingest.alertmanager..",
    "dev.faultline.ingest.otlp..",
    "dev.faultline.ingest.probe..",
    "dev.faultline.ingest.push..",
    "dev.faultline.ingest.remotewrite..",
    "dev.faultline.ingest.scrape..",
    "dev.faultline.ingest.statuspage.."
  };

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.faultline.ingest.(*)..").should().beFreeOfCycles().check(INGEST);
  }

  /** One shared producer: a collector sees Kafka only as the acknowledgement of what it sent. */
  @Test
  void onlyThePublisherHoldsAKafkaProducer() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.faultline.ingest.publish..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("org.apache.kafka..").and(not(equivalentTo(RecordMetadata.class))))
        .check(INGEST);
  }

  @Test
  void theSharedPackagesKnowNoCollector() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.faultline.ingest.http..", "dev.faultline.ingest.publish..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(COLLECTORS)
        .check(INGEST);
  }

  @Test
  void collectorsKnowNothingOfTheServiceThatWiresThem() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.faultline.ingest")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.faultline.ingest")
        .check(INGEST);
  }

  /** Ingest owns no table and reads none; it knows no other module but the contract. */
  @Test
  void touchesNoDatabaseFlinkUiOrOtherModule() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "org.apache.flink..", "com.vaadin..")
        .orShould()
        .dependOnClassesThat(
            resideInAPackage("dev.faultline..")
                .and(resideOutsideOfPackages("dev.faultline.ingest..", "dev.faultline.contract..")))
        .check(INGEST);
  }
}
