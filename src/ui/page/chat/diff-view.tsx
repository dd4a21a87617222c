/** A unified diff, each line coloured by what it does. */
export function DiffView({ diff }: { diff: string }) {
  return (
    <pre class="diff">
      {diff.split("\n").map((line, i) => {
        const kind = line.startsWith("@@")
          ? "hunk"
          : line.startsWith("+") && !line.startsWith("+++")
            ? "add"
            : line.startsWith("-") && !line.startsWith("---")
              ? "del"
              : "ctx";
        return (
          <span key={i} class={`diff-${kind}`}>
            {line}
            {"\n"}
          </span>
        );
      })}
    </pre>
  );
}
