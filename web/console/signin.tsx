/**
 * Staff sign-in (auth.ts): the e-mail and password; an invited user's first sign-in choosing
 * a password; and setting or resetting a password with a code Cognito e-mails (a new owner's
 * first step after signing the business up). "Save and sign in" after a code does sign in, with
 * the password just chosen.
 */

import { useState } from "preact/hooks";
import { type Auth, AuthError, type NewPasswordChallenge } from "./auth";
import type { Lang, T } from "./i18n";

type Mode = "sign_in" | "ask_code" | "use_code";

export function SignIn(props: {
  auth: Auth;
  t: T;
  problem: string;
  onSignedIn: () => void;
  lang: Lang;
  setLang: (l: Lang) => void;
  LangSwitch: (p: { lang: Lang; setLang: (l: Lang) => void; t: T }) => preact.JSX.Element;
  reset: string | null; // an e-mail to set a password for (#/password?email=...)
}) {
  const { auth, t, LangSwitch } = props;
  const [challenge, setChallenge] = useState<NewPasswordChallenge | null>(null);
  const [mode, setMode] = useState<Mode>(props.reset !== null ? "ask_code" : "sign_in");
  const [email, setEmail] = useState(props.reset ?? "");
  const [notice, setNotice] = useState("");
  const [error, setError] = useState(props.problem);
  const [busy, setBusy] = useState(false);

  const explain = (e: unknown) => {
    const code = e instanceof AuthError ? e.code : "";
    // A disabled login is not a wrong password (an outside tester's was told it was).
    if (disabled(e)) return t("login_disabled");
    // Cognito refuses a reset to a login never used: its invitation's password comes first.
    if (code === "NotAuthorizedException" && mode !== "sign_in") return t("reset_not_allowed");
    if (code === "NotAuthorizedException" || code === "UserNotFoundException") return t("wrong_login");
    if (code === "network") return t("network");
    return t("error", { message: (e as Error).message });
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const field = (name: string) => String(form.get(name) ?? "").trim();
    setBusy(true);
    setError("");
    try {
      if (challenge) {
        await auth.choosePassword(challenge, String(form.get("new_password")));
        props.onSignedIn();
      } else if (mode === "ask_code") {
        await auth.forgotPassword(field("email"));
        setEmail(field("email"));
        setNotice(t("code_sent", { email: field("email") }));
        setMode("use_code");
      } else if (mode === "use_code") {
        const password = String(form.get("new_password"));
        await auth.confirmPassword(email, field("code"), password);
        if (await signInWith(auth, email, password)) props.onSignedIn();
        else {
          setNotice(t("password_set"));
          setMode("sign_in");
        }
      } else {
        const result = await auth.signIn(field("email"), String(form.get("password")));
        if ("kind" in result) {
          setNotice("");
          setChallenge(result);
        } else props.onSignedIn();
      }
    } catch (e) {
      setError(explain(e));
    } finally {
      setBusy(false);
    }
  };

  const title = challenge ? t("new_password") : mode === "sign_in" ? t("sign_in_title") : t("set_password");
  return (
    <main class="signin">
      <form onSubmit={submit} aria-labelledby="signin-title" key={mode + String(Boolean(challenge))}>
        <h1 id="signin-title">{title}</h1>
        {notice && (
          <p class="notice" role="status">
            {notice}
          </p>
        )}
        {challenge ? (
          <>
            <p>{t("new_password_text")}</p>
            <label>
              {t("new_password")}
              <input name="new_password" type="password" autocomplete="new-password" required minLength={8} />
            </label>
          </>
        ) : mode === "use_code" ? (
          <>
            <label>
              {t("code")}
              <input name="code" required autocomplete="one-time-code" autofocus />
            </label>
            <label>
              {t("new_password")}
              <input name="new_password" type="password" autocomplete="new-password" required minLength={8} />
            </label>
            <p class="muted">{t("password_rules")}</p>
          </>
        ) : (
          <>
            <label>
              {t("email")}
              <input name="email" type="email" autocomplete="username" required autofocus defaultValue={email} />
            </label>
            {mode === "sign_in" && (
              <label>
                {t("password")}
                <input name="password" type="password" autocomplete="current-password" required />
              </label>
            )}
          </>
        )}
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          {challenge ? t("save_password") : mode === "sign_in" ? t("sign_in") : mode === "ask_code" ? t("send_code") : t("save_password")}
        </button>
        {mode === "sign_in" && !challenge && (
          <>
            <button type="button" class="link" onClick={() => setMode("ask_code")}>
              {t("set_password")}
            </button>
            <a href="#/signup">{t("new_business")}</a>
          </>
        )}
        <LangSwitch lang={props.lang} setLang={props.setLang} t={t} />
      </form>
    </main>
  );
}

/** Signs in with the password just set with an e-mailed code; false if that does not work
 * (the form then asks for it). moto's user pool keeps a login its invitation made asking for a
 * new password even after the reset (Cognito itself would not): the password just chosen
 * answers that too, so the owner chooses it once. */
async function signInWith(auth: Auth, email: string, password: string): Promise<boolean> {
  try {
    const result = await auth.signIn(email, password);
    if ("kind" in result) await auth.choosePassword(result, password);
    return true;
  } catch (e) {
    if (disabled(e)) throw e; // said as such, not as "your password is set"
    return false;
  }
}

/** Cognito refuses a disabled user's sign-in (and reset) as NotAuthorizedException, "User is
 * disabled.": the code alone would read as a wrong password. */
function disabled(e: unknown): boolean {
  return e instanceof AuthError && e.code === "NotAuthorizedException" && /disabled/i.test(e.message);
}
