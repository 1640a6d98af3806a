import { Fragment } from 'react';
import { addressParts } from './address-parts.ts';

/**
 * An email address, host name or URL in a narrow cell, wrapped where a reader expects it: an
 * address as its name and its "@domain", each kept whole on a line when a line can hold it
 * ("administrators-c9e6e47d" / "@e2e.example.com"); a part wider than the line breaks before a
 * dot or a path's slash, and only then anywhere (the cell's `wrap` class). The breaks are <wbr>
 * elements, so what is read out, copied or searched is the text unchanged.
 */
export function WrapAtParts({ text }: { text: string }) {
  // The pieces of one string never move, so their positions are stable keys.
  return addressParts(text).map((pieces, part) => (
    <span key={part} className="wrap-part">
      {pieces.map((piece, index) => (
        <Fragment key={index}>
          {index > 0 && <wbr />}
          {piece}
        </Fragment>
      ))}
    </span>
  ));
}
