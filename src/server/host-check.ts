import { isIP } from "node:net";

/**
 * DNS rebinding defence: a page on evil.example whose name is made to resolve to 127.0.0.1 can
 * reach a loopback server, but its requests still say `Host: evil.example`. Only the names the
 * server is really reached by are accepted: localhost and the loopback addresses, the address it
 * is bound to, any IP literal when bound to every interface (the shop's LAN address), and the
 * names configured in OPTIFLOW_ALLOWED_HOSTS.
 */
export function isAllowedHost(
  hostHeader: string | undefined,
  boundHost: string,
  configured: readonly string[],
): boolean {
  const name = hostName(hostHeader);
  if (name === null) return false;
  if (name === "localhost" || name === "::1" || /^127\.\d+\.\d+\.\d+$/.test(name)) return true;
  const bound = boundHost.toLowerCase();
  if (name === bound) return true;
  if ((bound === "0.0.0.0" || bound === "::") && isIP(name) !== 0) return true;
  return configured.some((allowed) => allowed.toLowerCase() === name);
}

/** The host name of a Host header, without port, brackets or a trailing dot; null if unreadable. */
export function hostName(header: string | undefined): string | null {
  const value = (header ?? "").trim().toLowerCase();
  if (value === "") return null;
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    return end > 1 ? value.slice(1, end) : null;
  }
  const colon = value.lastIndexOf(":");
  const name = (colon >= 0 ? value.slice(0, colon) : value).replace(/\.$/, "");
  return /^[a-z0-9.-]+$/.test(name) ? name : null;
}
