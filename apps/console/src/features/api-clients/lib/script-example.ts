/**
 * The script shown on the Secure Clients page: get a token, then remove a registration.
 * As README.md's script, it fails fast: curl -f fails on an error status, a missing token
 * stops it, and set -e stops at the first failing step.
 */
export function scriptExample(origin: string): string {
  return [
    `set -e   # stop at the first failing step`,
    `TOKEN=$(curl -fsS ${origin}/api/v1/token -d grant_type=client_credentials \\`,
    `  --data-urlencode client_id="$CLIENT_ID" --data-urlencode client_secret="$CLIENT_SECRET" |`,
    `  node -e 'let t; try { t = JSON.parse(require("fs").readFileSync(0, "utf8")).access_token; } catch {}`,
    `    if (!t) { console.error("token request failed"); process.exit(1); } console.log(t);')`,
    `curl -fsS -X DELETE -H "Authorization: Bearer $TOKEN" \\`,
    `  ${origin}/api/console/registrations/$REGISTRATION_ID`,
  ].join('\n');
}
