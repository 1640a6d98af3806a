import { factsOf, pageOf, serverOf, summaryOf, type EventMessage } from './event-messages.ts';

/**
 * Slack and Microsoft Teams bodies (docs/notifications.md). Every value that comes from
 * outside (server, host and customer names, product codes, actors, targets) goes through
 * `defuse` first, so a server named `<!channel>`, `@here` or `[x](https://evil)` can neither
 * ping anyone nor become a link: Slack's own escaping of `&`, `<` and `>` stops `<!channel>`
 * and `<url|text>`; a zero-width space after `@` stops the plain-text mentions of
 * Slack-compatible receivers (Mattermost, Rocket.Chat), and one between `]` and `(` stops
 * the markdown links of Adaptive Cards and Mattermost. The reader sees the same text.
 */
const ZWSP = '\u200B';
const defuse = (value: string) => value.replace(/@/g, `@${ZWSP}`).replace(/\]\(/g, `]${ZWSP}(`);
/** Slack's escaping (api.slack.com, "Escaping text"): exactly these three. */
const slackEscape = (value: string) => value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const slackSafe = (value: string | number) => slackEscape(defuse(String(value)));

/** Server first, then the event's facts with a value, all as `[label, text]`. */
function factLines(event: EventMessage): [string, string][] {
  const server = serverOf(event);
  const lines: [string, string][] = [];
  if (server) lines.push(['Server', `${server.serverName} (${server.hostname})`]);
  for (const [label, value] of factsOf(event)) if (value !== null) lines.push([label, String(value)]);
  return lines;
}

/** Block Kit: the summary in bold with the facts, then a context line with customer, type, time and link. */
export function slackBody(event: EventMessage, publicUrl: string): string {
  const summary = slackSafe(summaryOf(event));
  const facts = factLines(event).map(([label, value]) => `${label}: ${slackSafe(value)}`);
  const link = `<${slackEscape(publicUrl + pageOf(event))}|Open in the console>`;
  const context = [`Customer: ${slackSafe(event.customerName)}`, event.type, event.createdAt.toISOString(), link].join(
    ' · ',
  );
  return JSON.stringify({
    text: summary,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: [`*${summary}*`, ...facts].join('\n') } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: context }] },
    ],
  });
}

/** An Adaptive Card 1.4 in the message envelope Teams Workflows take. */
export function teamsBody(event: EventMessage, publicUrl: string): string {
  const facts = [
    { title: 'Customer', value: defuse(event.customerName) },
    ...factLines(event).map(([title, value]) => ({ title, value: defuse(value) })),
    { title: 'Event', value: event.type },
    { title: 'At', value: event.createdAt.toISOString() },
  ];
  return JSON.stringify({
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: defuse(summaryOf(event)), weight: 'Bolder', wrap: true },
            { type: 'FactSet', facts },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open in the console', url: publicUrl + pageOf(event) }],
        },
      },
    ],
  });
}
