package org.mediaoffload.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every secret can come from a file, as systemd's LoadCredential= provides it. */
class SecretFilesTest {
    private static final String SSE_KEY = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;

    @Test
    void everySecretReadsFromItsFileWithOneTrailingNewlineStripped() {
        ConfigFiles files = new ConfigFiles(dir);
        OffloadConfig config = files.load(files.required() + """
                offload.database.password-file = "%s"
                offload.s3 {
                  access-key-id-file = "%s"
                  secret-access-key-file = "%s"
                  session-token-file = "%s"
                  sse-customer-key-file = "%s"
                }
                offload.http { bind = "0.0.0.0", admin-token-file = "%s" }
                """.formatted(
                files.write("pg", "pg password\n"),
                files.write("key-id", "AKID"),
                files.write("secret", "line one\nline two\n\n"),
                files.write("token", "token\r\n"),
                files.write("sse", SSE_KEY + "\n"),
                files.write("admin", "admin-token\n")));

        assertThat(config.database().password()).contains(new Secret("pg password"));
        assertThat(config.s3().accessKeyId()).contains(new Secret("AKID"));
        assertThat(config.s3().secretAccessKey()).as("only one newline is stripped").contains(new Secret("line one\nline two\n"));
        assertThat(config.s3().sessionToken()).contains(new Secret("token"));
        assertThat(config.s3().sseCustomerKey()).contains(SseCustomerKey.fromConfiguredString(SSE_KEY, "AES256"));
        assertThat(config.http().adminToken()).contains(new Secret("admin-token"));
    }

    @Test
    void aMissingOrEmptyFileIsNamed() {
        ConfigFiles files = new ConfigFiles(dir);
        Path empty = files.write("empty", "\n");
        assertThatThrownBy(() -> files.load(files.required() + "offload.database.password-file = \"/run/credentials/none\"\n"
                + "offload.http.admin-token-file = \"" + empty + "\"\n"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).startsWith("offload.database.password-file (file ")
                                .contains("/run/credentials/none, which does not exist"))
                        .anySatisfy(p -> assertThat(p).startsWith("offload.http.admin-token-file").contains("which is empty"))
                        .hasSize(2));
    }

    @Test
    void aBadSseCustomerKeyFromAFileNamesTheFileSettingAndLength() {
        ConfigFiles files = new ConfigFiles(dir);
        Path key = files.write("sse", "0123456789abcdef\n");
        assertThatThrownBy(() -> files.load(files.required() + "offload.s3.sse-customer-key-file = \"" + key + "\"\n"))
                .hasMessageContaining("offload.s3.sse-customer-key-file (file ")
                .hasMessageContaining("but is 16 bytes")
                .message().doesNotContain("0123456789abcdef").doesNotContain("is 17 bytes");
    }
}
