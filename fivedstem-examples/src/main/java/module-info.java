/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * The {@code fivedstem} command line and the runnable examples. A thin layer: each command parses its
 * flags into the library's values and calls it.
 *
 * <p>The command line ships as a shaded jar that runs on the class path, where this descriptor is left
 * out; on the module path picocli reads the commands' options reflectively, hence the open package.
 */
module org.fivedstem.examples {
    requires transitive org.fivedstem.io;
    requires info.picocli;
    requires jdk.jshell;

    exports org.fivedstem.examples;
    opens org.fivedstem.examples.cli to info.picocli;
}
