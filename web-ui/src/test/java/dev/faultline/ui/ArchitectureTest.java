package dev.faultline.ui;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.vaadin.flow.component.Component;
import org.junit.jupiter.api.Test;

/** The UI's boundaries: views over services, no SQL in views, no Flink or Kafka at all. */
class ArchitectureTest {

  static final JavaClasses UI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.faultline.ui");

  @Test
  void theUiNeverImportsFlinkOrKafka() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
        .check(UI);
  }

  @Test
  void viewsTouchNeitherJdbcNorRepositories() {
    noClasses()
        .that()
        .areAssignableTo(Component.class)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "dev.faultline.storage.jdbc..")
        .orShould()
        .dependOnClassesThat()
        .haveSimpleNameEndingWith("Repository")
        .orShould()
        .dependOnClassesThat()
        .haveSimpleName("Storage")
        .check(UI);
  }

  /** The REST API is thin over the views' services: no SQL, repository or storage of its own. */
  @Test
  void theApiGoesThroughTheServices() {
    noClasses()
        .that()
        .resideInAPackage("dev.faultline.ui.api..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..", "dev.faultline.storage.jdbc..")
        .orShould()
        .dependOnClassesThat()
        .haveSimpleNameEndingWith("Repository")
        .orShould()
        .dependOnClassesThat()
        .haveSimpleName("Storage")
        .check(UI);
  }

  @Test
  void featurePackagesHaveNoCycles() {
    slices()
        .matching(
            "dev.faultline.ui.(board|incident|postmortem|cost|settings|review|account|silence|api)..")
        .should()
        .beFreeOfCycles()
        .check(UI);
  }
}
