/** One line of user-supplied text, cut with an ellipsis; the whole of it on hover. */
export function Truncate({ text, className, id }: { text: string; className?: string; id?: string }) {
  return (
    <span id={id} className={className ? `truncate ${className}` : 'truncate'} title={text}>
      {text}
    </span>
  );
}
