package dev.faultline.ui;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import com.vaadin.flow.component.Component;
import dev.faultline.ui.app.MainLayout;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The UI's boundaries: views over services, no SQL in views, no Flink or Kafka at all, no package
 * cycles (the frame included: features use the layout, the layout names no feature).
 */
class ArchitectureTest {

  static final JavaClasses UI =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.faultline.ui");

  /** The feature packages the frame ({@code app}) must not name; the account page it may link. */
  private static final String[] FEATURES = {
    "dev.faultline.ui.board..",
    "dev.faultline.ui.cost..",
    "dev.faultline.ui.incident..",
    "dev.faultline.ui.postmortem..",
    "dev.faultline.ui.review..",
    "dev.faultline.ui.settings..",
    "dev.faultline.ui.silence..",
    "dev.faultline.ui.api.."
  };

  /**
   * Whatever reads or writes the database itself: JDBC, storage's and the notifier's repositories
   * (anything built on a {@link DataSource}), storage as a whole.
   */
  private static final DescribedPredicate<JavaClass> DATABASE_ACCESS =
      describe(
          "touch the database (JDBC, a repository, anything built on a DataSource, Storage)",
          c ->
              c.getPackageName().startsWith("java.sql")
                  || c.getPackageName().startsWith("javax.sql")
                  || c.getPackageName().startsWith("dev.faultline.storage.jdbc")
                  || c.getSimpleName().endsWith("Repository")
                  || c.getFullName().equals("dev.faultline.storage.Storage")
                  || c.getConstructors().stream()
                      .anyMatch(k -> k.getRawParameterTypes().stream().anyMatch(isDataSource())));

  private static java.util.function.Predicate<JavaClass> isDataSource() {
    return t -> t.isAssignableTo(DataSource.class);
  }

  @Test
  void theUiNeverImportsFlinkOrKafka() {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.apache.flink..", "org.apache.kafka..")
        .check(UI);
  }

  @Test
  void viewsGoThroughServicesAndNeverTouchTheDatabase() {
    noClasses()
        .that()
        .areAssignableTo(Component.class)
        .should()
        .dependOnClassesThat(DATABASE_ACCESS)
        .because("views take services in their constructor (STYLE.md, Vaadin)")
        .check(UI);
  }

  /** The REST API is thin over the views' services: no SQL, repository or storage of its own. */
  @Test
  void theApiGoesThroughTheServices() {
    noClasses()
        .that()
        .resideInAPackage("dev.faultline.ui.api..")
        .should()
        .dependOnClassesThat(DATABASE_ACCESS)
        .check(UI);
  }

  @Test
  void packagesHaveNoCycles() {
    slices().matching("dev.faultline.ui.(*)..").should().beFreeOfCycles().check(UI);
  }

  /**
   * The same with the root package as one more slice: it holds the application's wiring ({@link
   * WebUi}) and what every feature shares ({@link Format}, {@link WebUiConfig}), so a feature or
   * the security package depending back on it must not close a loop.
   */
  @Test
  void theRootPackageIsInNoCycle() {
    slices().assignedFrom(TOP_LEVEL_PACKAGES).should().beFreeOfCycles().check(UI);
  }

  @Test
  void theLayoutNamesNoFeature() {
    noClasses()
        .that()
        .resideInAPackage("dev.faultline.ui.app..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(FEATURES)
        .because("the navigation lists the views' @Menu entries; features depend on the frame")
        .check(UI);
  }

  @Test
  void viewsGetTheLayoutByConventionNotByName() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.faultline.ui.app..")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(MainLayout.class)
        .because("MainLayout is the @Layout of every route; a view that names it ties the two")
        .check(UI);
  }

  /** The root package is one slice, each package below it (with its sub-packages) another. */
  private static final SliceAssignment TOP_LEVEL_PACKAGES =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass c) {
          String p = c.getPackageName();
          if (p.equals("dev.faultline.ui")) {
            return SliceIdentifier.of("(root)");
          }
          return p.startsWith("dev.faultline.ui.")
              ? SliceIdentifier.of(p.split("\\.")[3])
              : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "dev.faultline.ui and each package below it";
        }
      };
}
