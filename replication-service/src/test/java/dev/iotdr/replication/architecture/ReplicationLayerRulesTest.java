package dev.iotdr.replication.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The ports-and-adapters rules of replication; each fails if it matches no class. */
@AnalyzeClasses(packages = "dev.iotdr.replication", importOptions = ImportOption.DoNotIncludeTests.class)
class ReplicationLayerRulesTest {

    @ArchTest
    static final ArchRule domainIsPlainJava = noClasses()
            .that()
            .resideInAPackage("..registry.domain..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "software.amazon..", "..application..", "..adapter..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule useCasesKnowNoFrameworkSdkOrAdapter = noClasses()
            .that()
            .resideInAnyPackage("..registry.application..", "..stream.application..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..", "software.amazon..", "..adapter..", "io.github.resilience4j..")
            .allowEmptyShould(false);

    @ArchTest
    static final ArchRule outgoingAdaptersDoNotCallEachOther = noClasses()
            .that()
            .resideInAPackage("..registry.adapter.out.iot..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("..adapter.out.dynamodb..", "..adapter.in..", "..stream.adapter..")
            .allowEmptyShould(false);
}
