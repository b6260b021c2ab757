/** The JNDI InitialContextFactory that reads administered objects from {@code jndi.properties}. */
package io.tributary.jms.jndi;
