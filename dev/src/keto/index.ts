// The local Keto stand-in: Keto's read/write HTTP APIs evaluating the project's OPL file.
export { startKeto, type RunningKeto } from './keto-server'
