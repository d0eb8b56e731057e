import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: app-model paths (handler entries, ASL files) are relative to it. */
export const repositoryRoot: string = fileURLToPath(new URL('../../', import.meta.url));

/** Turns a repository-relative path from the app model into an absolute file path. */
export type SourceLocator = (repositoryRelativePath: string) => string;

/** The default locator: the file in this repository. Tests may substitute fixtures. */
export const locateInRepository: SourceLocator = (path) => resolve(repositoryRoot, path);
