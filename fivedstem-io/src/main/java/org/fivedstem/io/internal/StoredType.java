package org.fivedstem.io.internal;

import org.fivedstem.io.SampleType;

/** A storage that knows the type its values are stored in (what {@code convert} keeps). */
public interface StoredType {

    /** @return the stored type */
    SampleType sampleType();
}
