import type { TestProject } from 'vitest/node'
import { platformBinaries } from '../../dev/src/platform'

/** Builds the real daprd, placement, scheduler, Kratos and Keto once per machine (minutes cold, instant after). */
export default function setup(project: TestProject) {
  project.provide('platformBin', platformBinaries())
}
