/**
 * Where the console's API and staff logins live, read at start from `config.json` beside the
 * page (written by `make dev` for the local stack and by the infra for a deployment), so one
 * build serves every stage.
 */

export interface Config {
  api: string; // https://.../v1 without the /v1
  widget: string; // the booking widget's script, for the embed snippet
  cognito: {
    endpoint: string; // https://cognito-idp.<region>.amazonaws.com/ (moto's locally)
    region: string;
    clientId: string;
  };
  // Stripe.js for the plan's card: left out on AWS (Stripe's own script, the Payment Element);
  // localstripe's with its Card Element locally.
  stripe?: { js: string; mounting: "payment" | "card" };
}

export async function loadConfig(): Promise<Config> {
  const response = await fetch("config.json", { cache: "no-store" });
  if (!response.ok) throw new Error(`config.json: ${response.status}`);
  return (await response.json()) as Config;
}
