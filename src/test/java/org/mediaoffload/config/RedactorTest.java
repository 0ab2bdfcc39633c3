package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RedactorTest {
    @Test
    void urlsLoseTheirPasswordsInQueryAndUserInfo() {
        assertThat(Redactor.redactUrl("jdbc:postgresql://h/db?user=u&password=p%40ss&sslmode=require"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=****&sslmode=require");
        assertThat(Redactor.redactUrl("postgres://synapse:hunter2@db:5432/synapse?sslpassword=hunter2"))
                .isEqualTo("postgres://synapse:****@db:5432/synapse?sslpassword=****");
        assertThat(Redactor.redactUrl("jdbc:postgresql://h/db?password=with space&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?password=****&ssl=true");
    }

    @Test
    void messagesLoseUrlPasswordsAndTheKnownSecretButKeepTheirWords() {
        String message = "FATAL: password authentication failed for jdbc:postgresql://u:hunter2@h/db?password=hunter2"
                + " (user u, hunter2 rejected)";

        assertThat(Redactor.redactMessage(message, Optional.of("hunter2")))
                .isEqualTo("FATAL: password authentication failed for jdbc:postgresql://u:****@h/db?password=****"
                        + " (user u, **** rejected)");
        assertThat(Redactor.redactMessage("user ab failed", Optional.of("ab"))).isEqualTo("user ab failed");
        assertThat(Redactor.redactMessage(null, Optional.empty())).isEqualTo("(no detail)");
    }
}
