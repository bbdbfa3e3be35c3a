package io.promgate.tenant;

import java.util.ArrayList;
import java.util.List;

/**
 * Tenant id rules, as Cortex/Mimir's {@code tenant.ValidTenantID}: 1–150 characters of
 * {@code [A-Za-z0-9!_.*'()-]}, and not {@code .} or {@code ..} (they would be path tricks in object storage).
 * {@code a|b} names several tenants (Mimir's multi-tenant query syntax).
 */
public final class TenantIds {
  public static final int MAX_LENGTH = 150;

  private TenantIds() {}

  /** Null when valid, else why not. */
  public static String problem(String id) {
    if (id.isEmpty()) {
      return "empty tenant id";
    }
    if (id.length() > MAX_LENGTH) {
      return "tenant id longer than " + MAX_LENGTH + " characters";
    }
    if (id.equals(".") || id.equals("..")) {
      return "tenant id \"" + id + "\" is not allowed";
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      if (!isAllowed(c)) {
        return "tenant id \"" + id + "\" contains unsupported character '" + c + "'";
      }
    }
    return null;
  }

  public static boolean isValid(String id) {
    return problem(id) == null;
  }

  private static boolean isAllowed(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '!' || c == '_' || c == '.' || c == '*' || c == '\'' || c == '(' || c == ')' || c == '-';
  }

  /**
   * Splits {@code a|b} into its ids, validating each; throws {@link InvalidTenantException} for the first
   * bad one. Duplicates are dropped, order kept.
   */
  public static TenantSet parse(String value) {
    if (value.indexOf('|') < 0) {
      String p = problem(value);
      if (p != null) {
        throw new InvalidTenantException(p);
      }
      return new TenantSet(List.of(value));
    }
    List<String> ids = new ArrayList<>();
    for (String id : value.split("\\|", -1)) {
      String p = problem(id);
      if (p != null) {
        throw new InvalidTenantException(p);
      }
      if (!ids.contains(id)) {
        ids.add(id);
      }
    }
    return new TenantSet(ids);
  }
}
