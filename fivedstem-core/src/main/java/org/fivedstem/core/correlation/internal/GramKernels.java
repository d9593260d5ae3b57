/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.core.correlation.internal;

import java.util.List;

/**
 * Chooses the {@link GramKernel} the correlation uses, once, the way Lucene's
 * {@code VectorizationProvider} does. Today there is one implementation, {@link ScalarGramKernel};
 * a Vector API one is to be added here — loaded only when the {@code jdk.incubator.vector} module
 * is readable, with the choice and its reason logged — and to {@link #all()}, so that the contract
 * test runs it too.
 */
public final class GramKernels {

    private static final GramKernel PREFERRED = ScalarGramKernel.INSTANCE;

    private GramKernels() {
    }

    /** @return the kernel to use on this JVM */
    public static GramKernel preferred() {
        return PREFERRED;
    }

    /** @return every implementation that can run on this JVM, the scalar reference first */
    public static List<GramKernel> all() {
        return List.of(ScalarGramKernel.INSTANCE);
    }
}
