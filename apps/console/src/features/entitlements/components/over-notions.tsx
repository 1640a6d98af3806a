/**
 * The three ways the console says "more in use than installed", side by side, so that an
 * overdraft on a day's peak, the License Servers list's flag and a shortage are not taken
 * for one another.
 */
export function OverNotions({ warningDays }: { warningDays: number }) {
  return (
    <section aria-labelledby="over-notions" className="notes">
      <h2 id="over-notions">What “over” means here</h2>
      <dl>
        <dt>Insufficient (this page)</dt>
        <dd>
          A License Server’s latest report has more licenses in use than installed, now. Licenses are counted per
          server: one server short makes the product insufficient even when another has spare licenses. The “Licenses
          insufficient” notification is sent when this starts, and “Licenses sufficient again” when it ends.
        </dd>
        <dt>Overdraft (Usage)</dt>
        <dd>
          On a given day, the highest number in use (the day’s peak) went above what was installed, even for a moment. A
          past day can be in overdraft while the product is not insufficient now. The “Usage in overdraft” notification
          is about these days.
        </dd>
        <dt>Over on latest day (License Servers list)</dt>
        <dd>
          On the server’s most recent day of usage, some product’s in-use figure for that day (not its peak) was above
          what was installed, perhaps only for part of the day. It says nothing about the days before.
        </dd>
        <dt>Expiring and Customer Success Services</dt>
        <dd>
          A date within {warningDays} days: licenses stop working on the expiry date; Customer Success Services
          (maintenance) no longer covers the product from its end date.
        </dd>
      </dl>
    </section>
  );
}
