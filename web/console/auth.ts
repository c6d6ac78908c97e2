/**
 * Staff sign-in with the tenant's Cognito login, straight from the browser as Amplify does:
 * USER_PASSWORD_AUTH for the user pool's public client (it has no secret), the
 * NEW_PASSWORD_REQUIRED challenge of an invited user's first sign-in, and the refresh token
 * when the ID token runs out. The API verifies the ID token itself; the console only reads its
 * `sub` and `email` to know who is signed in.
 *
 * The session lives in sessionStorage: it ends with the tab, and no other site can read it.
 */

import type { Config } from "./config";

export interface Session {
  idToken: string;
  refreshToken: string;
  expiresAt: number; // ms since the epoch
  sub: string;
  email: string;
}

export class AuthError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A first sign-in must choose a password; the challenge's session carries it on. */
export interface NewPasswordChallenge {
  kind: "new_password";
  email: string;
  session: string;
}

const KEY = "reservoir.console.session";

interface AuthResult {
  IdToken: string;
  RefreshToken?: string;
  ExpiresIn: number;
}

export class Auth {
  constructor(private readonly config: Config) {}

  current(): Session | null {
    const text = sessionStorage.getItem(KEY);
    if (!text) return null;
    try {
      return JSON.parse(text) as Session;
    } catch {
      return null;
    }
  }

  signOut(): void {
    sessionStorage.removeItem(KEY);
  }

  async signIn(email: string, password: string): Promise<Session | NewPasswordChallenge> {
    const answer = await this.call("InitiateAuth", {
      AuthFlow: "USER_PASSWORD_AUTH",
      ClientId: this.config.cognito.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    });
    if (answer.ChallengeName === "NEW_PASSWORD_REQUIRED") {
      return { kind: "new_password", email, session: answer.Session as string };
    }
    return this.keep(answer.AuthenticationResult as AuthResult);
  }

  async choosePassword(challenge: NewPasswordChallenge, password: string): Promise<Session> {
    const answer = await this.call("RespondToAuthChallenge", {
      ChallengeName: "NEW_PASSWORD_REQUIRED",
      ClientId: this.config.cognito.clientId,
      Session: challenge.session,
      ChallengeResponses: { USERNAME: challenge.email, NEW_PASSWORD: password },
    });
    return this.keep(answer.AuthenticationResult as AuthResult);
  }

  /** Asks for a code to choose a (new) password: Cognito e-mails it to the user. */
  async forgotPassword(email: string): Promise<void> {
    await this.call("ForgotPassword", { ClientId: this.config.cognito.clientId, Username: email });
  }

  async confirmPassword(email: string, code: string, password: string): Promise<void> {
    await this.call("ConfirmForgotPassword", {
      ClientId: this.config.cognito.clientId,
      Username: email,
      ConfirmationCode: code,
      Password: password,
    });
  }

  /** A valid ID token: the current one, or a fresh one from the refresh token. */
  async token(): Promise<string> {
    const session = this.current();
    if (!session) throw new AuthError("signed_out", "Not signed in.");
    if (Date.now() < session.expiresAt - 60_000) return session.idToken;
    const answer = await this.call("InitiateAuth", {
      AuthFlow: "REFRESH_TOKEN_AUTH",
      ClientId: this.config.cognito.clientId,
      AuthParameters: { REFRESH_TOKEN: session.refreshToken },
    });
    const result = answer.AuthenticationResult as AuthResult;
    return this.keep({ ...result, RefreshToken: result.RefreshToken ?? session.refreshToken }).idToken;
  }

  private keep(result: AuthResult): Session {
    const claims = decodeClaims(result.IdToken);
    const session: Session = {
      idToken: result.IdToken,
      refreshToken: result.RefreshToken ?? "",
      expiresAt: Date.now() + result.ExpiresIn * 1000,
      sub: String(claims.sub ?? ""),
      email: String(claims.email ?? ""),
    };
    sessionStorage.setItem(KEY, JSON.stringify(session));
    return session;
  }

  private async call(target: string, body: object): Promise<Record<string, unknown>> {
    let response: Response;
    try {
      response = await fetch(this.config.cognito.endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-amz-json-1.1",
          "X-Amz-Target": `AWSCognitoIdentityProviderService.${target}`,
        },
        body: JSON.stringify(body),
      });
    } catch {
      throw new AuthError("network", "The sign-in service cannot be reached.");
    }
    const data = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    if (!response.ok) {
      const type = String(data.__type ?? data.code ?? "error").split("#").pop() ?? "error";
      throw new AuthError(type, String(data.message ?? data.Message ?? type));
    }
    return data;
  }
}

/** The claims of a JWT, unverified (the API verifies; this only names who is signed in). */
export function decodeClaims(token: string): Record<string, unknown> {
  const part = token.split(".")[1] ?? "";
  const base64 = part.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(part.length / 4) * 4, "=");
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
}
