package org.mediaoffload.config;

public enum DatabaseType {
    POSTGRES,
    SQLITE
}
