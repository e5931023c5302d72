// The app's entry point: importing a trigger-group file registers its functions with @azure/functions.
// package.json "main" points at the bundle of this file (dist/app.js).
import './health.js';
import './simulator.js';
import './sweeps.js';
import './alerts.js';
import './ingestion.js';
import './scaling.js';
import './scalingRecommendations.js';
import './web.js';
