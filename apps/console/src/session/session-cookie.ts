import type { Request, Response } from 'express';

/**
 * The session cookie: httpOnly (no script reads it), SameSite=Lax (sent on the top-level redirect back
 * from an OIDC issuer, never on a cross-site POST), Path=/, and `__Host-` + Secure when the console is
 * served over https (no subdomain can set or shadow it).
 */
export class SessionCookie {
  readonly name: string;
  private readonly secure: boolean;

  constructor(publicUrl: string) {
    this.secure = publicUrl.startsWith('https://');
    this.name = this.secure ? '__Host-vigil_session' : 'vigil_session';
  }

  read(request: Request): string | undefined {
    return readCookie(request, this.name);
  }

  set(response: Response, value: string, maxAgeMs: number): void {
    response.append('Set-Cookie', this.serialize(value, Math.floor(maxAgeMs / 1000)));
  }

  clear(response: Response): void {
    response.append('Set-Cookie', this.serialize('', 0));
  }

  private serialize(value: string, maxAgeS: number): string {
    return `${this.name}=${value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeS}${this.secure ? '; Secure' : ''}`;
  }
}

/** One cookie's value from the Cookie header (no cookie-parser: the console reads two cookies). */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
