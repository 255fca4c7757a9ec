/** Bad arguments: exit status 2 and a one-line message. */
export class UsageError extends Error {}
