package dev.iotdr.shared.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The rules of shared-model's layout; each fails if it matches no class (ArchUnit's failOnEmptyShould). */
@AnalyzeClasses(packages = "dev.iotdr.shared", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerRulesTest {

    @ArchTest
    static final ArchRule domainHasNoSpringAndNoAwsSdk = noClasses()
            .that()
            .resideInAPackage("dev.iotdr.shared.domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("software.amazon..", "org.springframework..", "com.amazonaws..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule domainDependsOnNoOtherLayer = noClasses()
            .that()
            .resideInAPackage("dev.iotdr.shared.domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.iotdr.shared.contract..", "dev.iotdr.shared.aws..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule sharedModelHasNoSpring = noClasses()
            .that()
            .resideInAPackage("dev.iotdr.shared..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule contractDoesNotBuildClients = noClasses()
            .that()
            .resideInAPackage("dev.iotdr.shared.contract..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("dev.iotdr.shared.aws..")
            .allowEmptyShould(false);
}
