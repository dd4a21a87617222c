/** How a command talks to its caller; tests capture it, main wires it to the terminal. */
export interface CommandIo {
  out(line: string): void;
  /** Prints the error and returns the exit code for a usage or input error. */
  fail(message: string): number;
}

export const terminalIo: CommandIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  fail(message) {
    process.stderr.write(`replicas-engine: ${message}\n`);
    return 1;
  },
};
