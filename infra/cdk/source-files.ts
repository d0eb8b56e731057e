import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: app-model paths (handler entries, ASL files) are relative to it. */
export const repositoryRoot: string = fileURLToPath(new URL('../../', import.meta.url));

/** The absolute path of a repository-relative path from the app model. */
export const repositoryPath = (path: string): string => resolve(repositoryRoot, path);
