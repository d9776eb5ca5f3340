/** What a stack composition returns: its stack outputs (secrets stay secret Outputs). */
export type StackOutputs = Record<string, unknown>;
