/**
 * 经营看板: the chosen date range and one resource per dashboard section. Choosing a range loads every
 * section for it in parallel; each section's answer for an older range is dropped (createResource keeps
 * only its latest call), so a quick change of range never shows the previous range's figures.
 */
import { create } from 'zustand'

import { presetRange, type DateRange, type PresetKey } from '../domain/reports'
import { fetchCheckInActives, fetchLiabilityByMonth, fetchPointsDaily, fetchSummary, fetchTopItems } from '../services/reports'
import { createResource, selectorHook } from './resource'

export const reportSections = {
  summary: createResource(fetchSummary),
  daily: createResource(fetchPointsDaily),
  liability: createResource((_range: DateRange) => fetchLiabilityByMonth()),
  checkIns: createResource(fetchCheckInActives),
  topItems: createResource((range: DateRange) => fetchTopItems(range)),
}

export type ReportSection = keyof typeof reportSections

export interface ReportsState {
  /** A preset or 'custom' (two date pickers). */
  preset: PresetKey | 'custom'
  range?: DateRange
  /** Load every section for a range. */
  load: (range: DateRange, preset?: PresetKey | 'custom') => Promise<void>
  /** A preset range ending `today` (the business day). */
  choosePreset: (key: PresetKey, today: string) => Promise<void>
  /** Load one section again for the current range (its 重试). */
  retry: (section: ReportSection) => Promise<void>
}

export const reportsStore = create<ReportsState>()((set, get) => ({
  preset: '7d',
  load: async (range, preset = get().preset) => {
    set({ range, preset })
    await Promise.all(Object.values(reportSections).map((section) => section.getState().load(range)))
  },
  choosePreset: (key, today) => get().load(presetRange(key, today), key),
  retry: async (section) => {
    const { range } = get()
    if (range) await reportSections[section].getState().load(range)
  },
}))
export const useReports = selectorHook(reportsStore)
