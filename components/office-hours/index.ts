export { OfficeHoursSchedule, type OfficeHoursArgs, type SleepingService } from "./office-hours";
export {
  awakeShare,
  OFFICE_DAYS,
  officeCron,
  officeHoursProblems,
  shareBetween,
  type OfficeDays,
  type OfficeHours,
} from "./hours";
