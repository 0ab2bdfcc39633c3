package org.mediaoffload.catalog;

/** The two database engines Synapse runs on; tests run against a real server or file of each. */
enum Engine {
    POSTGRES,
    SQLITE
}
