package io.promgate.tenant;

/** A tenant id that breaks {@link TenantIds}' rules; answered 400 {@code bad_data}. */
public final class InvalidTenantException extends IllegalArgumentException {
  public InvalidTenantException(String message) {
    super(message);
  }
}
