/** Bump when components or plugins change what a revision renders to; old cache rows are then ignored. */
export const RENDERER_VERSION = 4;
