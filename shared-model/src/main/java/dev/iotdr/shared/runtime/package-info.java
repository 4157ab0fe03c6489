/** Process-level helpers every service shares, free of Spring. */
package dev.iotdr.shared.runtime;
