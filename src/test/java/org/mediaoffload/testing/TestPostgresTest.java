package org.mediaoffload.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

class TestPostgresTest {

    @Test
    void databasesAreFreshUtf8WithCCollationAndDroppedOnClose() throws SQLException {
        TestPostgres.Database first = TestPostgres.createDatabase();
        String name = first.name();
        try (TestPostgres.Database second = TestPostgres.createDatabase()) {
            assertThat(second.name()).isNotEqualTo(name);
            try (Connection c = first.connect(); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT current_database(), pg_encoding_to_char(encoding),"
                            + " datcollate FROM pg_database WHERE datname = current_database()")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(name);
                assertThat(rs.getString(2)).isEqualTo("UTF8");
                assertThat(rs.getString(3)).isEqualTo("C");
            }
            first.close();
            try (Connection c = second.connect();
                    PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getInt(1)).isZero();
                }
            }
        }
    }
}
