export {
  createRobocoders,
  RobocodersAPI,
  type RobocodersCredentials,
  type RobocodersSession,
  type RobocodersSettings,
  robocoders,
} from './robocoders.js';
export { VERSION } from './version.js';
