/*
 * Copyright 2026 The fivedstem authors
 * SPDX-License-Identifier: Apache-2.0
 */
package org.fivedstem.io.internal;

import java.util.Optional;
import java.util.OptionalLong;

import org.fivedstem.api.PatternStorage;
import org.fivedstem.io.SampleType;

/** A storage that knows the type its values are stored in (what {@code convert} keeps). */
public interface StoredType {

    /** @return the stored type */
    SampleType sampleType();

    /**
     * @param storage any storage
     * @return its stored type, or empty for storages that do not know one (in memory, simulated)
     */
    static Optional<SampleType> of(PatternStorage storage) {
        return storage instanceof StoredType t ? Optional.of(t.sampleType()) : Optional.empty();
    }

    /**
     * What {@link PatternStorage#countLimit()} reports for values delivered as stored: the type's
     * largest value for unsigned integer types (counts), empty for signed and floating-point ones.
     *
     * @param type the stored type
     * @return the bound, or empty
     */
    static OptionalLong countLimit(SampleType type) {
        return type.isSigned() || type.isFloatingPoint() ? OptionalLong.empty() : OptionalLong.of((long) type.maxValue());
    }
}
