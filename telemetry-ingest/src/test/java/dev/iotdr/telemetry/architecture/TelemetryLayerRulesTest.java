package dev.iotdr.telemetry.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The ports-and-adapters rules of the service; each fails if it matches no class. */
@AnalyzeClasses(packages = "dev.iotdr.telemetry", importOptions = ImportOption.DoNotIncludeTests.class)
class TelemetryLayerRulesTest {

    @ArchTest
    static final ArchRule domainIsPlainJava = noClasses()
            .that()
            .resideInAnyPackage("..ingest.domain..", "..presence.domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..", "software.amazon..", "tools.jackson..", "..adapter..", "..application..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule useCasesKnowNoFrameworkAndNoAdapter = noClasses()
            .that()
            .resideInAnyPackage("..ingest.application..", "..presence.application..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "org.springframework..", "software.amazon..", "io.awspring..", "..adapter..", "..config..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule outgoingAdaptersDoNotCallOtherAdapters = noClasses()
            .that()
            .resideInAPackage("..adapter.out..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..adapter.in..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule incomingAdaptersUsePortsNotOutgoingAdapters = noClasses()
            .that()
            .resideInAPackage("..adapter.in..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..adapter.out..")
            .allowEmptyShould(false);
}
