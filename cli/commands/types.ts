export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** true when stderr is a terminal: progress goes there only then. */
  interactive: boolean;
}

export interface CliCommand {
  name: string;
  summary: string;
  usage: string;
  /** Returns the process exit code: 0 ok, 1 findings at or above the threshold, 2 error. */
  run(args: string[], io: CliIo): Promise<number>;
}
