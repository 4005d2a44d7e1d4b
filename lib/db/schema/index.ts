export * from "./users";
export * from "./auth";
export * from "./pages";
export * from "./revisions";
export * from "./ratings";
export * from "./talk";
export * from "./activity";
export * from "./data-jobs";
