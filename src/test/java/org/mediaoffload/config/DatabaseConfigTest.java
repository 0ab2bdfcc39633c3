package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseConfigTest {
    @Test
    void toStringRevealsNoPassword() {
        DatabaseConfig config = new DatabaseConfig(DatabaseType.POSTGRES,
                Optional.of("jdbc:postgresql://synapse:hunter2@db:5432/synapse?password=hunter2&ssl=true"),
                Optional.of("db"), 5432, Optional.of("synapse"), Optional.of("synapse"),
                Optional.of(new Secret("hunter2")), Optional.<Path>empty(), Map.of("sslpassword", "hunter2"),
                Duration.ofSeconds(60), 2000);

        assertThat(config.toString()).doesNotContain("hunter2").contains("password=****", "synapse:****@",
                "sslpassword");
    }
}
