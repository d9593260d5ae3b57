/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
/**
 * fivedstem's files: recordings in ({@link org.fivedstem.io.Recordings}: HDF5, detector formats, raw,
 * .npy), results files and series files out and back ({@link org.fivedstem.io.results.ResultsFile}),
 * and figures.
 *
 * <p>{@code org.fivedstem.io.internal} (readers, storages, the HDF5 writer) is not exported; the HDF5
 * filters jhdf lacks are provided to it as services.
 */
module org.fivedstem.io {
    requires transitive org.fivedstem.core;
    requires transitive java.desktop;
    requires java.xml;
    requires io.jhdf;
    // jhdf is an automatic module: it reads every module but resolves none, so the named modules it uses
    // at run time are required here (without them a module-path launch fails on org.slf4j.LoggerFactory).
    requires org.slf4j;
    requires org.apache.commons.lang3;
    requires aircompressor;
    requires org.lz4.java;
    requires com.google.gson;
    requires org.knowm.xchart;

    exports org.fivedstem.io;
    exports org.fivedstem.io.figures;
    exports org.fivedstem.io.hdf5;
    exports org.fivedstem.io.npy;
    exports org.fivedstem.io.raw;
    exports org.fivedstem.io.results;

    provides io.jhdf.filter.Filter with org.fivedstem.io.internal.Hdf5Filters.Bitshuffle, org.fivedstem.io.internal.Hdf5Filters.Zstd;
}
