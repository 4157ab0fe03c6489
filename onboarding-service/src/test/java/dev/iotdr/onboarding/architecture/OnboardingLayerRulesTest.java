package dev.iotdr.onboarding.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The ports-and-adapters rules of the service; each fails if it matches no class. */
@AnalyzeClasses(packages = "dev.iotdr.onboarding", importOptions = ImportOption.DoNotIncludeTests.class)
class OnboardingLayerRulesTest {

    @ArchTest
    static final ArchRule domainIsPlainJava = noClasses()
            .that()
            .resideInAPackage("..devices.domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "software.amazon..", "..adapter..", "..application..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule useCasesKnowNoFrameworkAndNoAdapter = noClasses()
            .that()
            .resideInAPackage("..devices.application..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "software.amazon..", "..adapter..", "io.github.resilience4j..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule adaptersDoNotCallEachOther = noClasses()
            .that()
            .resideInAPackage("..adapter.out.iot..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..adapter.out.dynamodb..", "..adapter.in..", "..adapter.out.crypto..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule theWebAdapterUsesPortsNotOtherAdapters = noClasses()
            .that()
            .resideInAPackage("..adapter.in.web..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..adapter.out..", "software.amazon..")
            .allowEmptyShould(false);
}
