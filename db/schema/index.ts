export * from "./workspaces";
export * from "./events";
export * from "./access";
export * from "./campaigns";
export * from "./metrics";
export * from "./snapshots";
